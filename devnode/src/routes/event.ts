// POST /event/eventLogs/list (WF/event/EventController.listEventLogs, EventService.getContractEventLog,
// SyncEventLogCallback): a contract's past events through an SDK event subscription, decoded by
// ContractCodec.decodeEventToString. Answers BasePageResponse {code, message, data, totalCount}.
import { AbiCoder, id as keccakText } from "ethers";
import { asBean, integerField, listField, stringField, requireGroup, type App } from "../app.ts";
import { loadAbi } from "../codec/abi.ts";
import { decodeEvent } from "../codec/decode.ts";
import { Code, FrontError, JavaError, Message } from "../errors.ts";
import type { Router } from "../http.ts";

/** Our bound, not WeBASE's: the real subscription must finish within constant.eventCallbackWait (4 s),
 *  else 201311. Refusing long ranges keeps clients splitting them as they must on a real chain. */
export const MAX_EVENT_RANGE_BLOCKS = 10_000;

const rangeError = () => ({
  json: { code: Code.BLOCK_RANGE_INVALID, message: Message[Code.BLOCK_RANGE_INVALID], data: [], totalCount: 0 },
});

/** indexedN {type, value} → the topic the node compares with (static types only, as our callers use). */
function indexedTopic(filter: unknown): string | null {
  if (!filter || typeof filter !== "object") return null;
  const { type, value } = filter as { type?: unknown; value?: unknown };
  if (typeof type !== "string" || value === undefined || value === null || value === "") return null;
  try {
    return AbiCoder.defaultAbiCoder().encode([type], [value]);
  } catch (e) {
    throw new FrontError(Code.ENCODE_FAILED, (e as Error).message);
  }
}

const LIST_EVENT_LOGS =
  "public com.webank.webase.front.base.response.BasePageResponse com.webank.webase.front.event.EventController.listEventLogs(" +
  "com.webank.webase.front.event.entity.ReqEventLogList,org.springframework.validation.BindingResult)";

export function eventRoutes(r: Router, app: App): void {
  r.post("/event/eventLogs/list", LIST_EVENT_LOGS, async ({ body }) => {
    const req = asBean(body, "com.webank.webase.front.event.entity.ReqEventLogList");
    // ReqEventLogList's validation messages are plain text, not RetCode JSON: any failure is an NPE (500).
    const groupId = stringField(req, "groupId");
    const abiList = listField(req, "contractAbi");
    const fromRaw = integerField(req, "fromBlock");
    const toRaw = integerField(req, "toBlock");
    const topics = req.topics as Record<string, unknown> | null | undefined;
    if (groupId === null || !abiList || abiList.length === 0 || fromRaw === null || toRaw === null || !topics) {
      throw new JavaError(null);
    }
    requireGroup(app, groupId);
    const abi = loadAbi(abiList);
    if (!abi) throw new JavaError(null);
    const eventName = typeof topics.eventName === "string" ? topics.eventName.trim() : "";
    if (!eventName) throw new JavaError(null);

    if (fromRaw === 0 || toRaw === 0) return rangeError();
    const head = app.chain.index.head.number;
    const from = fromRaw === -1 ? head : fromRaw;
    const to = toRaw === -1 ? head : toRaw;
    if (to > head || from > head) throw new FrontError(Code.BLOCK_NUMBER_TOO_HIGH);
    if (from < 0 || to < 0 || from > to) return rangeError();
    if (to - from + 1 > MAX_EVENT_RANGE_BLOCKS) throw new FrontError(Code.EVENT_CALLBACK_TIMEOUT);

    // The node strips 0x but does not lowercase (EventSubRequest.cpp): a mixed-case address matches nothing.
    const rawAddress = stringField(req, "contractAddress") ?? "";
    const address = rawAddress.startsWith("0x") ? rawAddress.slice(2) : rawAddress;
    const wanted = [keccakText(eventName.replace(/\s+/g, "")), ...[1, 2, 3].map((i) => indexedTopic(topics[`indexed${i}`]))];
    const name = eventName.slice(0, eventName.indexOf("(") < 0 ? undefined : eventName.indexOf("("));

    const logs = await app.queries.logs(app.chain.index.byNumber(from)!, app.chain.index.byNumber(to)!);
    const data = [];
    for (const l of logs) {
      const bare = l.log.address.slice(2).toLowerCase();
      if (address && bare !== address) continue;
      if (wanted.some((t, i) => t !== null && l.log.topics[i]?.toLowerCase() !== t.toLowerCase())) continue;
      const decoded = decodeEvent(abi, name, l.log);
      if (!decoded) continue;
      data.push({
        log: {
          logIndex: l.logIndex,
          transactionIndex: l.txIndex,
          transactionHash: l.log.transactionHash,
          blockNumber: l.block.number,
          address: bare,
          data: l.log.data,
          topics: l.log.topics,
        },
        data: decoded,
      });
    }
    return { json: { code: 0, message: "success", data, totalCount: data.length } };
  });
}
