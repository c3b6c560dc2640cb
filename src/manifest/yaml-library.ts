/**
 * The `yaml` library, loaded on its first use and synchronously. kd reads manifests with js-yaml;
 * `yaml` (which keeps node ranges and renders YAML) serves only paths most runs never take: the
 * source position of a problem (source-map.ts), the diff of a drifted object
 * (drift/compare-object.ts), kustomize's output (io/kustomize.ts), kd sim's YAML bodies. Loading
 * it with every command cost start-up time for nothing (issue 17); loading it synchronously on
 * first use keeps every caller synchronous, so no path has to remember to load it first and a
 * result never depends on whether it was loaded.
 *
 * The build (scripts/build.mjs) bundles the library into one CommonJS file, dist/yaml.cjs, beside
 * the entries, and defines KD_YAML_BUNDLE as its name: one file loads in a few milliseconds, where
 * the package's seventy modules take tens. From the sources (tests), the installed package is used.
 */
import { createRequire } from 'node:module';

export type YamlLibrary = typeof import('yaml');

/** dist/yaml.cjs's file name, set by the build; undefined when running from the sources. */
declare const KD_YAML_BUNDLE: string | undefined;

let library: YamlLibrary | undefined;

export function yamlLibrary(): YamlLibrary {
  library ??= load();
  return library;
}

function load(): YamlLibrary {
  if (typeof KD_YAML_BUNDLE === 'string') {
    // This module is in a bundle file under dist/ (an entry or dist/chunks/): the bundled library
    // is at dist/'s top.
    const here = import.meta.url;
    const dist = here.slice(0, here.lastIndexOf('/dist/') + '/dist/'.length);
    return createRequire(dist + KD_YAML_BUNDLE)(`./${KD_YAML_BUNDLE}`) as YamlLibrary;
  }
  return createRequire(import.meta.url)('yaml') as YamlLibrary;
}
