/** 简体中文: research projects and their Shapley allocation. Merged in ./index.ts. */
export default {
  research: {},
};
