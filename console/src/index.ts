// The console bundle's entry: defines <gradient-integration-card>, <gradient-statement> and <gradient-fleet> (each
// once, so a page may load the module twice) and pulls in their styles, which esbuild emits as the one CSS file.
import './card.css';
import { GradientIntegrationCard } from './card';
import { GradientFleet } from './fleet';
import { GradientStatement } from './statement';

const ELEMENTS: Array<[string, CustomElementConstructor]> = [
  ['gradient-integration-card', GradientIntegrationCard],
  ['gradient-statement', GradientStatement],
  ['gradient-fleet', GradientFleet],
];
for (const [name, element] of ELEMENTS) if (!customElements.get(name)) customElements.define(name, element);

export { GradientFleet, GradientIntegrationCard, GradientStatement };
