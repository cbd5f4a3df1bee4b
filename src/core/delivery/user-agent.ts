import packageJson from "../../../package.json";

export const DURIAN_VERSION: string = packageJson.version;
export const USER_AGENT = `Durian/${DURIAN_VERSION}`;
