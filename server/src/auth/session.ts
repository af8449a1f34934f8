import type { Request } from "express";
import { jwtVerify, SignJWT } from "jose";
import type { PrismaClient, Member } from "../generated/prisma/client.ts";
import { ROLE_NAMES, STATUS_APPROVED } from "../members/codes.ts";

export type Role = "alliance-admin" | "regulator" | "patient" | "doctor" | "hospital" | "applicant";

/** Who is calling. Roles are read from the chain mirror on every request, so an approval or a
 *  revocation takes effect at once rather than when the token expires. */
export interface Session {
  address: string;
  roles: Role[];
  member: Member | null;
}

const ISSUER = "yiyuanliao";

export class Tokens {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(address: string): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Date.now() + this.ttlSeconds * 1000;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(address)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The address in a valid token, or null for a missing, forged or expired one. */
  async verify(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] });
      return typeof payload.sub === "string" ? payload.sub : null;
    } catch {
      return null;
    }
  }
}

export async function sessionFor(prisma: PrismaClient, address: string): Promise<Session> {
  const [member, admin, regulator] = await Promise.all([
    prisma.member.findUnique({ where: { address } }),
    prisma.allianceAdmin.findUnique({ where: { address } }),
    prisma.regulator.findFirst({ where: { address, revokedAt: null }, select: { address: true } }),
  ]);
  const roles: Role[] = [];
  if (admin) roles.push("alliance-admin");
  if (regulator) roles.push("regulator");
  if (member && member.status === STATUS_APPROVED) roles.push(ROLE_NAMES[member.role] as Role);
  if (!roles.length) roles.push("applicant");
  return { address, roles, member };
}

export function sessionResolver(prisma: PrismaClient, tokens: Tokens) {
  return async (req: Request): Promise<Session | null> => {
    const cached = (req as Request & { session?: Session | null }).session;
    if (cached !== undefined) return cached;
    const header = req.headers.authorization;
    let session: Session | null = null;
    if (header?.startsWith("Bearer ")) {
      const address = await tokens.verify(header.slice(7).trim());
      if (address) session = await sessionFor(prisma, address);
    }
    (req as Request & { session?: Session | null }).session = session;
    return session;
  };
}

export const hasRole = (s: Session | null, role: Role) => !!s && s.roles.includes(role);
