// Architecture of the layered networks (docs/models/deep-nets.md#architecture):
//   conv: conv1(C->64, 5x5, no bias) -> ReLU -> BN2d -> MaxPool 2 -> conv2(64->64, 5x5)
//         -> ReLU -> BN2d -> MaxPool 2 -> flatten (F = 1024 at 28x28, 1600 at 32x32)
//         -> fc(F->384) -> ReLU -> BN1d -> fc(384->192) -> ReLU -> BN1d -> fc(192->10)
//   mlp:  flatten -> fc(784->1024) -> ReLU -> BN1d -> 384 -> 192 -> 10, like the conv
//         net's classification part (hidden sizes configurable)
// and the shapes that follow from an input size.
import type { MethodName } from "../../learning/feedback.js";

export type Arch = "conv" | "mlp";

export interface LayeredSpec {
  arch: Arch;
  /** Input channels, height, width. */
  input: { c: number; h: number; w: number };
  /** Hidden fc sizes (conv: after the flatten; mlp: after the input). */
  hidden: number[];
  classes: number;
  method: MethodName;
  /** Conv channels of conv1, conv2 and their square kernel size (the paper: 64, 64, 5). */
  convChannels: number[];
  kernel: number;
  bnMomentum: number;
  bnEps: number;
  /** Weight decay of fc W (and of a learned B) instead of the method's (KP: 0.001, others 0). */
  fcWeightDecay?: number;
}

export const DEFAULT_HIDDEN: Record<Arch, number[]> = { conv: [384, 192], mlp: [1024, 384, 192] };

export interface ConvShape {
  cin: number;
  cout: number;
  ks: number;
  /** input height, width */
  h: number;
  w: number;
  /** conv output (before pooling) */
  oh: number;
  ow: number;
  /** pooled output */
  ph: number;
  pw: number;
}

export interface LayeredShapes {
  convs: ConvShape[];
  /** fc layer sizes [F, ...hidden, classes]. */
  fc: number[];
}

/** Layer shapes, or a message naming what does not fit (odd conv output, too small input). */
export function layeredShapes(s: LayeredSpec): LayeredShapes | string {
  const convs: ConvShape[] = [];
  let c = s.input.c,
    h = s.input.h,
    w = s.input.w;
  if (s.arch === "conv") {
    for (const cout of s.convChannels) {
      const oh = h - s.kernel + 1,
        ow = w - s.kernel + 1;
      if (oh < 2 || ow < 2 || oh % 2 || ow % 2)
        return `a ${h}x${w} input gives a ${oh}x${ow} conv output; 2x2 pooling needs an even size >= 2`;
      convs.push({ cin: c, cout, ks: s.kernel, h, w, oh, ow, ph: oh / 2, pw: ow / 2 });
      c = cout;
      h = oh / 2;
      w = ow / 2;
    }
  }
  return { convs, fc: [c * h * w, ...s.hidden, s.classes] };
}
