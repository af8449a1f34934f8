export * from "./deploy.ts";
export * from "./deployment.ts";
export * from "./plan.ts";
