import packageJson from "@/package.json";

/** The release version from package.json. */
export const APP_VERSION: string = packageJson.version;
