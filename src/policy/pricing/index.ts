export { createPriceBook, type PriceBookOptions, type PricingRules } from './price-book.ts';
export type { ModelPrice, PriceBook, PricedTarget } from './types.ts';
export { type DeploymentsView, unpricedDeployments } from './unpriced.ts';
