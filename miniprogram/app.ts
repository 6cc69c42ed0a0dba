// The app shell keeps no state: the driver's session lives in wx storage (utils/session.ts), so every
// page reads the same one and a cold start keeps the login.
App({});
