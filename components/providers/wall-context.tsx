"use client";

import { createContext } from "react";

/** True inside a wall screen, where every panel says how old its data is and charts use the wall's type scale. */
export const WallContext = createContext(false);
