/** English: Research projects and their Shapley allocation. Typed against zh-CN. */
import type researchZh from "./research.zh-CN";

const researchEn: typeof researchZh = {
  research: {},
};

export default researchEn;
