import { keccak256, toUtf8Bytes, Wallet } from "ethers";
import type { ApiActor } from "./api-actor.ts";

// What the demo loaders share: the demo's fixed keys and admitting a member once.

/** Demo keys are derived from fixed phrases so the README can list them; never use them for real data. */
export const demoWallet = (who: string) => new Wallet(keccak256(toUtf8Bytes(`yiyuanliao demo ${who}`)));

export type Page<T> = { items: T[]; total: number };

/** Signs `actor` in and makes them an approved member, applying (and, for a doctor, having the
 *  hospital register them) only if they are not one yet. */
export async function ensureMember(
  admin: ApiActor,
  actor: ApiActor,
  apply: () => Promise<unknown>,
  hospitalActor?: ApiActor,
) {
  const session = (await actor.signIn()) as { member: { status: string } | null };
  let status = session.member?.status;
  if (!status || status === "rejected") status = ((await apply()) as { status: string }).status;
  if (status === "awaiting-hospital" && hospitalActor) {
    await hospitalActor.signIn();
    status = ((await hospitalActor.registerDoctor(actor.address)) as { status: string }).status;
  }
  if (status === "pending") await admin.decide(actor.address, "approve");
  await actor.signIn();
}
