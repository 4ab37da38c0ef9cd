// CIFAR-style residual networks: a 3x3 stem, three stages of blocks at widths w, 2w, 4w (strides 1, 2, 2), global
// average pooling and a linear classifier. One module serves three families: ResNet (post-activation basic blocks,
// He et al.), PreResNet (pre-activation basic or bottleneck blocks, as in the SWA code the spec's consts.py comes
// from) and WideResNet (pre-activation basic blocks with conv biases and dropout, the spec's models/wide_resnet.py).
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';
import { Dense } from '../../nn/dense.js';
import { seedStream } from '../../nn/init.js';
import { Conv2D } from '../layers/conv2d.js';
import { BatchNorm } from '../layers/batch_norm.js';

export type ResidualBlockKind = 'post-activation-basic' | 'pre-activation-basic' | 'pre-activation-bottleneck';

export interface ResidualNetworkOptions {
  block: ResidualBlockKind;
  blocksPerStage: number;
  classes: number;
  inputChannels: number;
  /** Convs (stem, block convs, 1x1 shortcuts) learn biases: true for the spec's WideResNet, false otherwise. */
  convBias: boolean;
  /** WideResNet: dropout between the two convs of a block, in train mode. */
  dropout?: number;
  /** The 1x1 shortcut reads the block's input x (WideResNet) rather than relu(bn(x)) (SWA PreResNet). */
  shortcutFromInput?: boolean;
}

type Next = () => number;

/** Output channels of a block with `planes` planes. */
function blockOutput(kind: ResidualBlockKind, planes: number): number {
  return kind === 'pre-activation-bottleneck' ? 4 * planes : planes;
}

abstract class ResidualBlock extends Module {
  abstract apply(x: tf.Tensor4D): tf.Tensor4D;
}

/** conv-BN-ReLU-conv-BN, + shortcut (1x1 conv + BN when the shape changes), ReLU. */
class PostActivationBasicBlock extends ResidualBlock {
  readonly conv1: Conv2D; readonly bn1: BatchNorm; readonly conv2: Conv2D; readonly bn2: BatchNorm;
  readonly projection: { conv: Conv2D; bn: BatchNorm } | null;

  constructor(inC: number, planes: number, stride: number, bias: boolean, next: Next) {
    super();
    this.conv1 = this.addModule('conv1', new Conv2D(inC, planes, { stride, bias, seed: next() }));
    this.bn1 = this.addModule('bn1', new BatchNorm(planes));
    this.conv2 = this.addModule('conv2', new Conv2D(planes, planes, { bias, seed: next() }));
    this.bn2 = this.addModule('bn2', new BatchNorm(planes));
    this.projection = stride !== 1 || inC !== planes
      ? { conv: this.addModule('shortcut', new Conv2D(inC, planes, { kernelSize: 1, stride, bias, seed: next() })), bn: this.addModule('shortcutBn', new BatchNorm(planes)) }
      : null;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const main = this.bn2.apply(this.conv2.apply(tf.relu(this.bn1.apply(this.conv1.apply(x))) as tf.Tensor4D));
    const shortcut = this.projection ? this.projection.bn.apply(this.projection.conv.apply(x)) : x;
    return tf.relu(tf.add(main, shortcut)) as tf.Tensor4D;
  }
}

/** BN-ReLU-conv-(dropout)-BN-ReLU-conv, + shortcut (1x1 conv when the shape changes). */
class PreActivationBasicBlock extends ResidualBlock {
  readonly bn1: BatchNorm; readonly conv1: Conv2D; readonly bn2: BatchNorm; readonly conv2: Conv2D;
  readonly shortcut: Conv2D | null;

  constructor(inC: number, planes: number, stride: number, private readonly o: ResidualNetworkOptions, next: Next) {
    super();
    const bias = o.convBias;
    this.bn1 = this.addModule('bn1', new BatchNorm(inC));
    this.conv1 = this.addModule('conv1', new Conv2D(inC, planes, { stride, bias, seed: next() }));
    this.bn2 = this.addModule('bn2', new BatchNorm(planes));
    this.conv2 = this.addModule('conv2', new Conv2D(planes, planes, { bias, seed: next() }));
    this.shortcut = stride !== 1 || inC !== planes
      ? this.addModule('shortcut', new Conv2D(inC, planes, { kernelSize: 1, stride, bias, seed: next() }))
      : null;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const pre = tf.relu(this.bn1.apply(x)) as tf.Tensor4D;
    let h = this.conv1.apply(pre);
    const p = this.o.dropout ?? 0;
    if (this.training && p > 0) h = tf.dropout(h, p) as tf.Tensor4D;
    h = this.conv2.apply(tf.relu(this.bn2.apply(h)) as tf.Tensor4D);
    const shortcut = this.shortcut ? this.shortcut.apply(this.o.shortcutFromInput ? x : pre) : x;
    return tf.add(h, shortcut);
  }
}

/** BN-ReLU-conv1x1-BN-ReLU-conv3x3(stride)-BN-ReLU-conv1x1 (x4 channels), + 1x1 downsample of relu(bn(x)). */
class PreActivationBottleneck extends ResidualBlock {
  readonly bn1: BatchNorm; readonly conv1: Conv2D; readonly bn2: BatchNorm; readonly conv2: Conv2D;
  readonly bn3: BatchNorm; readonly conv3: Conv2D; readonly downsample: Conv2D | null;

  constructor(inC: number, planes: number, stride: number, bias: boolean, next: Next) {
    super();
    const out = 4 * planes;
    this.bn1 = this.addModule('bn1', new BatchNorm(inC));
    this.conv1 = this.addModule('conv1', new Conv2D(inC, planes, { kernelSize: 1, bias, seed: next() }));
    this.bn2 = this.addModule('bn2', new BatchNorm(planes));
    this.conv2 = this.addModule('conv2', new Conv2D(planes, planes, { stride, bias, seed: next() }));
    this.bn3 = this.addModule('bn3', new BatchNorm(planes));
    this.conv3 = this.addModule('conv3', new Conv2D(planes, out, { kernelSize: 1, bias, seed: next() }));
    this.downsample = stride !== 1 || inC !== out
      ? this.addModule('downsample', new Conv2D(inC, out, { kernelSize: 1, stride, bias, seed: next() }))
      : null;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const pre = tf.relu(this.bn1.apply(x)) as tf.Tensor4D;
    let h = this.conv1.apply(pre);
    h = this.conv2.apply(tf.relu(this.bn2.apply(h)) as tf.Tensor4D);
    h = this.conv3.apply(tf.relu(this.bn3.apply(h)) as tf.Tensor4D);
    return tf.add(h, this.downsample ? this.downsample.apply(pre) : x);
  }
}

export class ResidualNetwork extends Module {
  readonly stem: Conv2D;
  readonly stemBn: BatchNorm | null;
  readonly blocks: ResidualBlock[] = [];
  readonly finalBn: BatchNorm | null;
  readonly output: Dense;

  constructor(readonly options: ResidualNetworkOptions, readonly width: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const o = options, pre = o.block !== 'post-activation-basic';
    this.stem = this.addModule('stem', new Conv2D(o.inputChannels, width, { bias: o.convBias, seed: next() }));
    this.stemBn = pre ? null : this.addModule('stemBn', new BatchNorm(width));
    let channels = width;
    for (let stage = 0; stage < 3; stage++) {
      const planes = width * 2 ** stage;
      for (let i = 0; i < o.blocksPerStage; i++) {
        const stride = stage > 0 && i === 0 ? 2 : 1;
        const name = `stage${stage}_block${i}`;
        const block = o.block === 'post-activation-basic' ? new PostActivationBasicBlock(channels, planes, stride, o.convBias, next)
          : o.block === 'pre-activation-basic' ? new PreActivationBasicBlock(channels, planes, stride, o, next)
            : new PreActivationBottleneck(channels, planes, stride, o.convBias, next);
        this.blocks.push(this.addModule(name, block));
        channels = blockOutput(o.block, planes);
      }
    }
    this.finalBn = pre ? this.addModule('finalBn', new BatchNorm(channels)) : null;
    this.output = this.addModule('output', new Dense(channels, o.classes, 'linear', next()));
  }

  /** x: [B, H, W, inputChannels] -> logits [B, classes]. Global average pooling (= the 8x8 pool on 32x32 inputs). */
  apply(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.stem.apply(x as tf.Tensor4D);
      if (this.stemBn) h = tf.relu(this.stemBn.apply(h)) as tf.Tensor4D;
      for (const block of this.blocks) h = block.apply(h);
      if (this.finalBn) h = tf.relu(this.finalBn.apply(h)) as tf.Tensor4D;
      return this.output.apply(tf.mean(h, [1, 2])) as tf.Tensor2D;
    });
  }
}
