/** English: Hospital scores and ranking. Typed against zh-CN. */
import type scoreZh from "./score.zh-CN";

const scoreEn: typeof scoreZh = {
  score: {},
};

export default scoreEn;
