// Broken on purpose: clip-by-norm clips each element to the bound instead of rescaling the whole
// gradient, which changes its direction. Must be caught by optim.gradient-clipping, naming clipNorm.
import { withPerElementClip } from './optimizers_broken.ts'

export default withPerElementClip('broken: clip per element')
