/** English: Hospitals' value and rarity ratings of shared records, with the entropy hint. Typed against zh-CN. */
import type ratingsZh from "./ratings.zh-CN";

const ratingsEn: typeof ratingsZh = {
  ratings: {},
};

export default ratingsEn;
