// Deploys the alliance's contracts through WeBASE-Front and writes deploy/addresses/<network>.json.
//   WEBASE_URL (http://127.0.0.1:5002/WeBASE-Front)  WEBASE_GROUP_ID (group0)  NETWORK (local)
//   CHAIN_ID (20200)  ALLIANCE_ADMINS (comma-separated addresses; required)   --force to deploy again
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WebaseFrontClient } from "@yyl/sdk";
import { isAddress } from "ethers";
import { ChainRefusedError } from "./chain-check.ts";
import { deployAll } from "./deploy.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const network = process.env.NETWORK ?? "local";
const groupId = process.env.WEBASE_GROUP_ID ?? "group0";
const admins = (process.env.ALLIANCE_ADMINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const bad = admins.filter((a) => !isAddress(a));
if (!admins.length || bad.length) {
  console.error(`ALLIANCE_ADMINS must list the alliance admins' addresses${bad.length ? `; not addresses: ${bad.join(", ")}` : ""}`);
  process.exit(2);
}
const chainId = Number(process.env.CHAIN_ID ?? 20200);
const client = new WebaseFrontClient({ baseUrl: process.env.WEBASE_URL ?? "http://127.0.0.1:5002/WeBASE-Front", groupId });
const result = await deployAll({
  client,
  network,
  groupId,
  chainId,
  admins,
  file: path.join(root, "deploy/addresses", `${network}.json`),
  force: process.argv.includes("--force"),
  log: (l) => console.log(l),
}).catch((e: unknown) => {
  // A group the contracts cannot run on is the operator's to fix: say why, without a stack trace.
  if (e instanceof ChainRefusedError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
});
const { deployment, deployed } = result;
console.log(deployed ? `deployed to ${network}` : `unchanged`, JSON.stringify(deployment.contracts));
