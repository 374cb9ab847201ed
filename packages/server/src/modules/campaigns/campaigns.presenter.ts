import type {
  Campaign,
  CampaignChannel,
  CampaignMember,
  CampaignResponse,
  CampaignStatus,
  ExclusionReason,
} from "@kundenakte/contract";
import type { CampaignRow, MemberRow } from "./campaigns.repository.js";

const idOrNull = (v: number | null) => (v === null ? null : Number(v));

export function presentCampaign(r: CampaignRow): Campaign {
  return {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    channel: r.channel as CampaignChannel,
    status: r.status as CampaignStatus,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    owner: r.owner,
    segmentId: idOrNull(r.segment_id),
    launchedAt: r.launched_at,
    createdBy: r.created_by,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function presentMember(r: MemberRow): CampaignMember {
  return {
    id: Number(r.id),
    campaignId: Number(r.campaign_id),
    customerId: Number(r.customer_id),
    customerName: r.customer_name,
    contactId: idOrNull(r.contact_id),
    contactName: r.contact_id === null ? null : [r.first_name, r.last_name].filter(Boolean).join(" "),
    status: r.status as CampaignMember["status"],
    exclusionReason: r.exclusion_reason as ExclusionReason | null,
    source: r.source as CampaignMember["source"],
    contactedAt: r.contacted_at,
    response: r.response as CampaignResponse | null,
    respondedAt: r.responded_at,
    responseNote: r.response_note,
    addedBy: r.added_by,
    addedAt: r.added_at,
    version: r.version,
  };
}

/** German names for the journal. */
export const CHANNEL_NAMES: Record<CampaignChannel, string> = {
  email: "E-Mail",
  letter: "Brief",
  phone: "Telefon",
  event: "Veranstaltung",
};

export const RESPONSE_NAMES: Record<CampaignResponse, string> = {
  interested: "Interesse",
  not_interested: "Kein Interesse",
  ordered: "Bestellt",
  bounced: "Unzustellbar",
  unsubscribed: "Abgemeldet",
};
