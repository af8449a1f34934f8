export * from "./deploy.ts";
export * from "./deployment.ts";
export * from "./plan.ts";
export * from "./chain-check.ts";
