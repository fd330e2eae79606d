/** `node --import` this to trap node:fs for netdb's modules (see fs-trap-hooks.mjs). */
import { register } from "node:module";
import { URL } from "node:url";

register("./fs-trap-hooks.mjs", import.meta.url, { data: { srcUrl: new URL("../../../src/", import.meta.url).href } });
