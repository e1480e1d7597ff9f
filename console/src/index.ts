// The console bundle's entry: defines <gradient-integration-card> (once, so a page may load the module twice)
// and pulls in its styles, which esbuild emits as the bundle's one CSS file.
import './card.css';
import { GradientIntegrationCard } from './card';

if (!customElements.get('gradient-integration-card')) {
  customElements.define('gradient-integration-card', GradientIntegrationCard);
}

export { GradientIntegrationCard };
