/** The page counts by Beijing's calendar whatever the server's zone (Asia/Shanghai has no daylight saving). */
export const ZONE = 'Asia/Shanghai';
