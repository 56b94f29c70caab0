// The reference levels' colours, one per level in every chart that marks it (the strike
// charts, History's lines, Compare's); in a module of its own so that node-run code
// (history-series.ts) takes them without a component.
export const MARK = {
  spot: '#e9eef5',
  flip: '#e8b33c',
  call: '#3fbf7f',
  put: '#ff7a77',
  abs: '#5fd3e6',
};
