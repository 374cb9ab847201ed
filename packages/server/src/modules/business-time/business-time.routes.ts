import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { BusinessTime } from "@kundenakte/contract";
import { errorResponses } from "../../http/schemas.js";
import type { BusinessClock } from "../../lib/clock.js";

/** The business clock as the web UI needs it: "today" for the firm, whatever the browser's clock says. */
export const businessTimeRoutes: FastifyPluginAsyncTypebox<{ clock: BusinessClock }> = async (app, { clock }) => {
  app.get(
    "/business-time",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["Operations"],
        summary: "The server's time, today's business date and the business time zone",
        response: { 200: BusinessTime, ...errorResponses("unauthenticated") },
      },
    },
    async () => {
      const now = clock.now();
      return { now: now.toISOString(), today: clock.dayOf(now), timeZone: clock.timeZone };
    },
  );
};
