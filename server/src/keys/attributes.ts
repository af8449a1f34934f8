import {
  abeKeyGen,
  departmentCodeOf,
  sealForMember,
  serializeAbeUserKey,
  type SealedForMember,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { departmentHashOf, profileDepartmentOf } from "../members/certification-view.ts";
import { ROLE_CODES, STATUS_APPROVED } from "../members/codes.ts";
import { publicKeysOf } from "./account-keys.ts";

// CP-ABE attributes the alliance attests for the members it admitted, and the attribute keys it
// issues for them:
//   an approved hospital:                  role:hospital, hospital:<its address>, level:<1-3>
//   an approved doctor of an approved one: role:doctor, hospital:<address>, level:<hospital's level>,
//     and once their hospital certified them on chain: certified:yes, dept:<code> (when the
//     certification names the department of their profile)
//   an admitted regulator:                 role:regulator
// Addresses are lower-case (policy attributes are). A key is issued once per set of attributes; when
// the set changes (another level, a lapsed certification) the next request gets a new key.

export const attributeKeyAad = (address: string) => `yyl/abe-user-key:${address}`;

export async function attributesOf(ctx: AppContext, session: Session): Promise<string[]> {
  const { prisma } = ctx;
  const attributes: string[] = [];
  if (hasRole(session, "regulator")) attributes.push("role:regulator");
  const member = session.member;
  if (!member || member.status !== STATUS_APPROVED) return attributes;
  if (member.role === ROLE_CODES.hospital) {
    attributes.push("role:hospital", `hospital:${member.address.toLowerCase()}`);
    if (member.level) attributes.push(`level:${member.level}`);
  }
  if (member.role === ROLE_CODES.doctor && member.hospital) {
    const [certification, hospital, department] = await Promise.all([
      prisma.doctorCertification.findUnique({ where: { doctor: member.address } }),
      prisma.member.findUnique({ where: { address: member.hospital } }),
      profileDepartmentOf(ctx, member.address),
    ]);
    if (hospital?.status === STATUS_APPROVED) {
      attributes.push("role:doctor", `hospital:${hospital.address.toLowerCase()}`);
      if (hospital.level) attributes.push(`level:${hospital.level}`);
      if (certification && !certification.revoked && Number(certification.expiresAt) > Date.now()) {
        attributes.push("certified:yes");
        const code = departmentCodeOf(department);
        if (code && certification.department === departmentHashOf(department)) attributes.push(`dept:${code}`);
      }
    }
  }
  return attributes;
}

export interface IssuedAttributeKey {
  attributes: string[];
  sealed: SealedForMember;
}

/** The caller's attribute key sealed to their public key, issued now if their attributes changed; null when they have none. */
export async function attributeKeyFor(ctx: AppContext, session: Session): Promise<IssuedAttributeKey | null> {
  const attributes = (await attributesOf(ctx, session)).sort();
  if (!attributes.length) return null;
  const { prisma } = ctx;
  const address = session.address;
  const attributesHash = keccak256(toUtf8Bytes(attributes.join("\n")));
  const kept = await prisma.attributeKey.findUnique({
    where: { address_attributesHash: { address, attributesHash } },
  });
  if (kept) return { attributes, sealed: JSON.parse(kept.sealed) as SealedForMember };
  const publicKey = (await publicKeysOf(ctx, [address])).get(address);
  if (!publicKey) return null; // every signed-in caller has one; kept for rows older than key learning
  const userKey = await abeKeyGen(ctx.keys.issuingKey, attributes);
  const sealed = await sealForMember(publicKey, serializeAbeUserKey(userKey), attributeKeyAad(address));
  await prisma.attributeKey.createMany({
    data: [{ address, attributesHash, attributes: JSON.stringify(attributes), sealed: JSON.stringify(sealed), issuedAt: BigInt(Date.now()) }],
    skipDuplicates: true,
  });
  return { attributes, sealed };
}
