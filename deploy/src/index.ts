export * from "./deploy.ts";
export * from "./deployment.ts";
