/** health — liveness and readiness for the load balancer and `npm start`. */
export { healthRoutes } from './health.routes';
