/**
 * The rule-authoring API as the built-in policies import it. It lives in the engine
 * (`engine/model/rule.ts`), which evaluates whatever rules it is given; this module keeps the policies'
 * imports short.
 */
export * from "../engine/model/rule";
