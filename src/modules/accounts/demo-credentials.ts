// Published in the README so that anyone can try Facet; therefore worthless in production,
// where sign-ins with them are refused even if such rows exist.
export const DEMO_PASSWORD = "facet-demo-2026";
export const DEMO_ERP_CLIENT_ID = "erp-atelier-paris";
export const DEMO_ERP_SECRET = "facet-demo-erp-secret";
