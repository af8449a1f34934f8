import { randomBytes } from "node:crypto";
import { publicKeyFromMessageSignature, signInMessage, verifySignInSignature } from "@yyl/sdk";
import { getAddress } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { ApiError, unauthorized } from "../http/errors.ts";
import { Address, Millis, Signature } from "../http/schemas.ts";
import { MemberSchema, toMemberView } from "../members/views.ts";
import { sessionFor, type Session } from "./session.ts";
import { rememberPublicKey } from "../keys/account-keys.ts";

const CHALLENGE_TTL_MS = 5 * 60_000;

const SessionSchema = z
  .object({
    address: z.string(),
    roles: z.array(z.enum(["alliance-admin", "regulator", "patient", "doctor", "hospital", "applicant"])),
    member: MemberSchema.nullable(),
  })
  .meta({ id: "Session" });

async function sessionView(ctx: AppContext, s: Session) {
  // The view also covers an application not yet on chain (a doctor's, waiting for the hospital).
  return { address: s.address, roles: s.roles, member: await toMemberView(ctx, s.address) };
}

export function registerAuthRoutes(ctx: AppContext): void {
  const { api, prisma } = ctx;

  api.route({
    method: "post",
    path: "/auth/challenge",
    summary: "Get a sign-in challenge",
    description: "Returns a one-time text to sign with the account's key (EIP-191 personal_sign). Valid for 5 minutes.",
    tags: ["auth"],
    auth: false,
    body: z.object({ address: Address }),
    response: z.object({ address: z.string(), nonce: z.string(), message: z.string(), expiresAt: Millis }),
    handler: async ({ body, req }) => {
      const nonce = randomBytes(16).toString("hex");
      const now = Date.now();
      const message = signInMessage({ address: body.address, nonce, issuedAt: now, domain: req.get("host") ?? "yiyuanliao" });
      const expiresAt = now + CHALLENGE_TTL_MS;
      // Expired challenges are useless; dropping this address's old ones keeps the table small.
      await prisma.authChallenge.deleteMany({ where: { address: body.address, expiresAt: { lt: BigInt(now) } } });
      await prisma.authChallenge.create({ data: { nonce, address: body.address, message, expiresAt: BigInt(expiresAt) } });
      return { address: body.address, nonce, message, expiresAt };
    },
  });

  api.route({
    method: "post",
    path: "/auth/session",
    summary: "Sign in with a signed challenge",
    tags: ["auth"],
    auth: false,
    body: z.object({ address: Address, nonce: z.string().regex(/^[0-9a-f]{32}$/, "must be the challenge's nonce"), signature: Signature }),
    response: z.object({ token: z.string(), expiresAt: Millis, session: SessionSchema }),
    errors: [401, 429],
    handler: async ({ body }) => {
      // Mark the challenge used in the same statement that checks it, so it cannot be used twice.
      const claimed = await prisma.authChallenge.updateMany({
        where: { nonce: body.nonce, address: body.address, usedAt: null, expiresAt: { gt: BigInt(Date.now()) } },
        data: { usedAt: BigInt(Date.now()) },
      });
      if (claimed.count !== 1) throw new ApiError(401, "CHALLENGE_INVALID", "challenge unknown, expired or already used");
      const challenge = await prisma.authChallenge.findUniqueOrThrow({ where: { nonce: body.nonce } });
      let signer: string;
      try {
        signer = getAddress(verifySignInSignature(challenge.message, body.signature));
      } catch {
        throw new ApiError(401, "SIGNATURE_INVALID", "signature could not be verified");
      }
      if (signer !== body.address) throw new ApiError(401, "SIGNATURE_INVALID", "signature is not by this address");
      // The signature also tells us the member's public key: record versions can then be encrypted for them.
      await rememberPublicKey(ctx, signer, publicKeyFromMessageSignature(challenge.message, body.signature));
      const { token, expiresAt } = await ctx.tokens.issue(body.address);
      const session = await sessionFor(prisma, body.address);
      return { token, expiresAt, session: await sessionView(ctx, session) };
    },
  });

  api.route({
    method: "get",
    path: "/auth/me",
    summary: "The signed-in account, its roles and membership",
    tags: ["auth"],
    auth: true,
    response: SessionSchema,
    handler: async ({ session }) => {
      if (!session) throw unauthorized();
      return sessionView(ctx, session);
    },
  });
}
