// POST /event/eventLogs/list (WF/event/EventController.listContractEventLogs, EventService
// .getContractEventLog, event/callback/SyncEventLogCallback.java): a contract's past events, decoded
// with the given ABI, answered as BasePageResponse {code, message, data, totalCount}.
import { keccak256, toUtf8Bytes, zeroPadBytes } from "ethers";
import { asBean, integerField, listField, requireGroup, stringField, type App } from "../app.ts";
import { loadAbi } from "../codec/abi.ts";
import { decodeEvent } from "../codec/decode.ts";
import { javaHexDecode } from "../codec/encode.ts";
import { Code, FrontError, JavaError, Message } from "../errors.ts";
import type { Router } from "../http.ts";
import { JavaException, javaBigInteger } from "../java/bigint.ts";

const LIST_EVENT_LOGS =
  "public com.webank.webase.front.base.response.BasePageResponse " +
  "com.webank.webase.front.event.EventController.listContractEventLogs(" +
  "com.webank.webase.front.event.entity.ReqEventLogList,org.springframework.validation.BindingResult)";

/**
 * The real server scans the range through an event subscription that must finish within
 * constant.eventCallbackWait (4 s) or answers 201311. The devnode has no such clock; it answers
 * 201311 for ranges over this many blocks instead, so clients keep their ranges short.
 */
export const MAX_EVENT_RANGE = 10_000;

const rangeError = () => ({
  json: {
    code: Code.BLOCK_RANGE_INVALID,
    message: Message[Code.BLOCK_RANGE_INVALID],
    data: [],
    totalCount: 0,
  },
});

/** TopicTools: a topic as java-sdk writes it (lower-case 0x-hex, an address in the case given). */
function toHex32(v: bigint): string {
  const hex = v.toString(16);
  if (v < 0n) throw new JavaError("Value cannot be negative");
  if (hex.length > 64) throw new JavaError(`Value ${hex}is larger then length 64`);
  return "0x" + hex.padStart(64, "0");
}

/** RabbitMQUtils.getIndexedParamTypeSig: the topic for `indexedN` {type, value}, null for "any". */
function indexedTopic(p: unknown): string | null {
  if (p === undefined || p === null) return null;
  const { type, value } = p as { type?: unknown; value?: unknown };
  if (value === undefined || value === null || value === "") return null;
  const v = String(value);
  if (typeof type !== "string") throw new JavaError(null);
  try {
    if (type.includes("int")) return toHex32(javaBigInteger(v, 10));
    if (type === "string") return keccak256(toUtf8Bytes(v));
    if (type === "bool") return toHex32(v.toLowerCase() === "true" ? 1n : 0n);
    if (type === "address") {
      const bare = v.toLowerCase().startsWith("0x") ? v.slice(2) : v;
      if (!/^[0-9a-fA-F]{40}$/.test(bare)) throw new JavaError("invalid address");
      return "0x000000000000000000000000" + bare;
    }
    if (type === "bytes") return keccak256(javaHexDecode(v));
    if (type.includes("bytes")) {
      const b = javaHexDecode(v);
      if (b.length > 32) throw new JavaError("byteN can't be more than 32 byte");
      return zeroPadBytes(b, 32);
    }
  } catch (e) {
    if (e instanceof JavaException) throw new JavaError(e.message);
    throw e;
  }
  return null;
}

/** The node compares a filter topic with the log's bare lower-case hex after stripping "0x" only. */
const topicMatches = (filter: string | null, topic: string | undefined) =>
  filter === null ||
  (topic !== undefined && (filter.startsWith("0x") ? filter.slice(2) : filter) === topic.slice(2));

export function eventRoutes(r: Router, app: App): void {
  r.post("/event/eventLogs/list", LIST_EVENT_LOGS, async ({ body }) => {
    const req = asBean(body, "com.webank.webase.front.event.entity.ReqEventLogList");
    const groupId = stringField(req, "groupId");
    const contractAbi = listField(req, "contractAbi");
    const fromBlock = integerField(req, "fromBlock");
    const toBlock = integerField(req, "toBlock");
    // ReqEventLogList's validation messages are not RetCode JSON: `new FrontException(null)` → NPE → 500
    if (groupId === null || !contractAbi?.length || fromBlock === null || toBlock === null) {
      throw new JavaError(null);
    }
    if (fromBlock === 0 || toBlock === 0) return rangeError();
    requireGroup(app, groupId);
    const head = app.chain.head;
    if (head.number < toBlock) throw new FrontError(Code.BLOCK_NUMBER_TOO_HIGH);
    const from = fromBlock === -1 ? head.number : fromBlock;
    const to = toBlock === -1 ? head.number : toBlock;
    // below -1 is not checked by WeBASE and then depends on the SDK subscription: not emulated
    if (from > to || from < 1) return rangeError();

    const topics = req.topics as Record<string, unknown> | null | undefined;
    const eventName = topics && typeof topics === "object" ? stringField(topics, "eventName") : null;
    if (eventName === null) throw new JavaError(null); // eventTopicParam.getEventName() on null
    const filter = [
      keccak256(toUtf8Bytes(eventName)), // topic 0 = hash of the eventName string as given
      indexedTopic(topics!.indexed1),
      indexedTopic(topics!.indexed2),
      indexedTopic(topics!.indexed3),
    ];
    if (to - from + 1 > MAX_EVENT_RANGE) throw new FrontError(Code.EVENT_CALLBACK_TIMEOUT);

    // the node strips "0x"/"0X" but does not lower-case (FB bcos-rpc/bcos-rpc/event/EventSubRequest.cpp)
    const address = stringField(req, "contractAddress");
    const bare = address?.startsWith("0x") || address?.startsWith("0X") ? address.slice(2) : address;
    if (bare === null || bare === undefined || !/^[0-9a-f]{40}$/.test(bare)) {
      return { json: { code: 0, message: "success", data: [], totalCount: 0 } };
    }
    const logs = await app.queries.logs(
      app.chain.index.byNumber(from)!,
      app.chain.index.byNumber(to)!,
      "0x" + bare,
    );
    const abi = loadAbi(contractAbi);
    const name = eventName.split("(")[0]!;
    const rows = [];
    for (const l of logs) {
      if (!filter.every((f, i) => topicMatches(f, l.log.topics[i]))) continue;
      const data = abi ? decodeEvent(abi, name, l.log) : undefined;
      if (!data) continue; // SyncEventLogCallback drops logs that do not decode
      rows.push({
        // SDK model/EventLog.java as the node fills it (FB bcos-rpc/bcos-rpc/event/EventSubMatcher.cpp)
        log: {
          logIndex: l.logIndex, // index in its receipt
          transactionIndex: l.txIndex, // index in its block
          transactionHash: l.log.transactionHash,
          blockNumber: l.block.number,
          address: bare,
          data: l.log.data,
          topics: l.log.topics,
        },
        data,
      });
    }
    return { json: { code: 0, message: "success", data: rows, totalCount: rows.length } };
  });
}
