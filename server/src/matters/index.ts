/**
 * matters — 网办进度, the driver's side after the call: each of their matters with its state and
 * steps, the decision in plain words with the 复核 deadline, and the 认定书 itself as a PDF.
 */
export { matterRoutes } from './matter.routes';
