// Types for `import wasm from "okta-directory/okta_directory_bg.wasm"`: the compiled module, as
// Cloudflare's wrangler (and bundlers configured for wasm modules) provide it; pass it to
// `initOktaDirectory` from `okta-directory/slim`.
declare const module: WebAssembly.Module;
export default module;
