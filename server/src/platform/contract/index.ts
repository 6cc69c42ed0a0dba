export { contract, withSecurity, contractOf, securityOf, currentContract, type RouteContract, type RouteSecurity } from './contract';
