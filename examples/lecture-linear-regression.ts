// The lecture's example: fit ŷ = w₁x₁ + w₂x₂ + b by gradient descent on L = 1/(2n) Σ(ŷ − y)².
import { RNG, SGD, randn, tensor } from '../src/index.js';

const rng = new RNG(0);
const X = randn([200, 2], { rng });                                  // inputs x = (x₁, x₂)
const y = X.matmul(tensor([[2], [-3]])).add(0.5);                     // true w = (2, −3), b = 0.5
const w = tensor([[0], [0]], { requiresGrad: true });
const b = tensor([0], { requiresGrad: true });
const optimizer = new SGD([w, b], { lr: 0.5 });                      // v ← v − α∇L(v)
for (let step = 0; step < 100; step++) {
  const loss = X.matmul(w).add(b).sub(y).square().sum().div(2 * 200); // L(w, b) = 1/(2n) Σ(ŷ − y)²
  optimizer.zeroGrad();
  loss.backward();                                                    // ∂L/∂w, ∂L/∂b by the chain rule
  optimizer.step();
}
console.log('w =', w.toFlatArray(), 'b =', b.item());                // ≈ [2, −3] and 0.5
