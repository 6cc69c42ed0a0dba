/**
 * reviews — 复核 (§71–72): a party's written application within the window (once per accident: later
 * parties join the first), and the city 支队's desk that accepts it or not and concludes 维持 or
 * 重新认定 (back to the brigade, whose new certificate supersedes the old).
 */
export { applyForReview, deadlineWords } from './review.service';
export type { ReviewServices } from './review.service';
export { reviewApplicationSchema } from './review.schemas';
export { reviewRoutes } from './review.routes';
