// The one function of js-yaml the package suite uses: the package ships no types, and @types/js-yaml
// for a single call is not worth a dependency.
declare module "js-yaml" {
  /** Parses one YAML document; throws on invalid YAML. */
  export function load(text: string): unknown;
  const yaml: { load: typeof load };
  export default yaml;
}
