/** 简体中文: hospitals' value and rarity ratings of shared records, with the entropy hint. Merged in ./index.ts. */
export default {
  ratings: {},
};
