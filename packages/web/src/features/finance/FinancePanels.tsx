/**
 * The finance tabs of the customer file, each in its own file; imported from here by the file's tabs.
 */
export { DocumentsPanel } from "./DocumentsPanel";
export { OpenItemsPanel } from "./OpenItemsPanel";
export { PurchaseHistoryPanel } from "./PurchaseHistoryPanel";
