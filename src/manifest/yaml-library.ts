/**
 * The two YAML libraries, each loaded on its first use and synchronously, so that a run loads
 * only what it needs and every caller stays synchronous (no path has to remember to load one
 * first, and a result never depends on whether it was loaded).
 * - js-yaml reads manifests and kubeconfigs, but only documents that simple-yaml.ts leaves to it
 *   (anchors, flow collections, block scalars, anything invalid...): a run over plain block YAML,
 *   nearly every manifest and kubeconfig, never loads it.
 * - `yaml` (which keeps node ranges and renders YAML) serves paths most runs never take: the
 *   source position of a problem (source-map.ts), the diff of a drifted object
 *   (drift/compare-object.ts), kustomize's output (io/kustomize.ts), kd sim's YAML bodies.
 * Loading either with every command cost start-up time for nothing (issue 17).
 *
 * The build (scripts/build.mjs) bundles each library into one CommonJS file beside the entries
 * (dist/yaml.cjs, dist/js-yaml.cjs) and defines KD_YAML_BUNDLES with their names: one file loads
 * in a few milliseconds, where `yaml`'s seventy modules take tens. From the sources (tests), the
 * installed packages are used.
 */
import { createRequire } from 'node:module';

export type YamlLibrary = typeof import('yaml');
export type JsYamlLibrary = typeof import('js-yaml');

/** The bundle files' names by package, set by the build; undefined when running from the sources. */
declare const KD_YAML_BUNDLES: Record<'yaml' | 'js-yaml', string> | undefined;

let yaml: YamlLibrary | undefined;
let jsYaml: JsYamlLibrary | undefined;

export function yamlLibrary(): YamlLibrary {
  yaml ??= load('yaml') as YamlLibrary;
  return yaml;
}

export function jsYamlLibrary(): JsYamlLibrary {
  jsYaml ??= load('js-yaml') as JsYamlLibrary;
  return jsYaml;
}

function load(name: 'yaml' | 'js-yaml'): unknown {
  if (typeof KD_YAML_BUNDLES === 'object') {
    // This module is in a bundle file under dist/ (at its top, in dist/cli/ or dist/parts/):
    // the bundled libraries are at dist/'s top.
    const here = import.meta.url;
    const dist = here.slice(0, here.lastIndexOf('/dist/') + '/dist/'.length);
    const file = KD_YAML_BUNDLES[name];
    return createRequire(dist + file)(`./${file}`);
  }
  return createRequire(import.meta.url)(name);
}
