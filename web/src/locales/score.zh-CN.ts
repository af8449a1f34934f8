/** 简体中文: hospital scores and ranking. Merged in ./index.ts. */
export default {
  score: {},
};
