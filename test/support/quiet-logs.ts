import { setLogLevel } from "@/lib/logger";

// Tests assert on behaviour, not on log lines; keep the output to warnings and errors.
setLogLevel("warn");
