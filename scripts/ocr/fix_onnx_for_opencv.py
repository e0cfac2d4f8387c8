#!/usr/bin/python3
"""Rewrites the PP-OCRv4 rec ONNX model so OpenCV 4.6 dnn can load and run it.

    /usr/bin/python3 scripts/ocr/fix_onnx_for_opencv.py IN.onnx OUT.onnx WIDTH

OpenCV 4.6 fails on the stock model in two places (shared/docs/ocr-engines-study.md):
  * parseShape: "dynamic 'zero' shapes are not supported" -> fix the input to
    1x3x48xWIDTH and fold every Shape sub-graph (Shape/Cast/Slice/Concat/...)
    into constants;
  * forward: shape_utils.hpp "total" assertion in the LayerNorm Mul([1,T,C],[C]),
    which OpenCV maps to a Scale layer -> materialise the gamma/beta (and bias)
    constants to the full [1,T,C].
Debian python3-onnx + numpy only.
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, shape_inference


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def evaluate(node, vals):
    """numpy evaluation of the ops found in Shape sub-graphs (opset 9)."""
    op, x = node.op_type, vals
    if op == "Constant":
        return numpy_helper.to_array(attr(node, "value"))
    if op == "Cast":
        return x[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[attr(node, "to")])
    if op == "Slice":
        a = x[0]
        axes = attr(node, "axes", list(range(len(attr(node, "starts")))))
        sl = [slice(None)] * a.ndim
        for ax, s, e in zip(axes, attr(node, "starts"), attr(node, "ends")):
            sl[ax] = slice(s, min(e, a.shape[ax]))
        return a[tuple(sl)]
    if op == "Concat":
        return np.concatenate(x, axis=attr(node, "axis"))
    if op == "Gather":
        return np.take(x[0], x[1], axis=attr(node, "axis", 0))
    if op == "Unsqueeze":
        a = x[0]
        for ax in sorted(attr(node, "axes")):
            a = np.expand_dims(a, ax)
        return a
    if op == "Squeeze":
        return np.squeeze(x[0], axis=tuple(attr(node, "axes")))
    if op == "Reshape":
        return x[0].reshape(x[1])
    if op in ("Mul", "Add", "Sub", "Div"):
        f = {"Mul": np.multiply, "Add": np.add, "Sub": np.subtract, "Div": np.divide}[op]
        r = f(x[0], x[1])
        if op == "Div" and np.issubdtype(x[0].dtype, np.integer):
            r = (x[0] // x[1])
        return r.astype(x[0].dtype)
    return None


def static_shapes(model):
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = vi.type.tensor_type.shape.dim
        if all(d.HasField("dim_value") for d in dims) and len(dims) > 0:
            shapes[vi.name] = [d.dim_value for d in dims]
    return shapes


def fold(model):
    g = model.graph
    consts = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    changed = True
    while changed:
        changed = False
        shapes = static_shapes(model)
        new_nodes = []
        for n in g.node:
            if n.op_type == "Constant":
                consts[n.output[0]] = evaluate(n, [])
                new_nodes.append(n)
                continue
            val = None
            if n.op_type == "Shape" and n.input[0] in shapes:
                val = np.array(shapes[n.input[0]], dtype=np.int64)
            elif all(i in consts for i in n.input) and len(n.output) == 1:
                val = evaluate(n, [consts[i] for i in n.input])
            if val is None:
                new_nodes.append(n)
                continue
            consts[n.output[0]] = val
            new_nodes.append(helper.make_node("Constant", [], [n.output[0]],
                                              value=numpy_helper.from_array(np.asarray(val), n.output[0])))
            changed = True
        del g.node[:]
        g.node.extend(new_nodes)
    # Drop constants nobody reads any more.
    used = {i for n in g.node for i in n.input} | {o.name for o in g.output}
    keep = [n for n in g.node if n.op_type != "Constant" or n.output[0] in used]
    del g.node[:]
    g.node.extend(keep)


def materialise_broadcasts(model):
    """Mul/Add of a [1,T,C] activation with a [C] constant -> constant [1,T,C]."""
    g = model.graph
    shapes = static_shapes(model)
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    inits.update({n.output[0]: numpy_helper.to_array(attr(n, "value")) for n in g.node if n.op_type == "Constant"})
    count = 0
    for n in g.node:
        if n.op_type not in ("Mul", "Add"):
            continue
        for k, name in enumerate(n.input):
            other = n.input[1 - k]
            if name in inits and other in shapes and len(shapes[other]) == 3:
                arr = inits[name]
                full = shapes[other]
                if arr.ndim == 1 and arr.shape[0] == full[2]:
                    new_name = f"{name}__bcast_{n.output[0]}"
                    g.initializer.append(numpy_helper.from_array(
                        np.ascontiguousarray(np.broadcast_to(arr, full)).astype(arr.dtype), new_name))
                    n.input[k] = new_name
                    count += 1
    used = {i for n in g.node for i in n.input} | {o.name for o in g.output}
    keep = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = [n for n in g.node if n.op_type != "Constant" or n.output[0] in used]
    del g.node[:]
    g.node.extend(nodes)
    return count


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, dst, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # Batch stays 1: OpenCV 4.6 maps the materialised [N,T,C] constants to a
    # Scale layer that fails for N > 1, and a 0 (copy) batch in the Reshape
    # targets fails the Eltwise shape check; batches run one forward per crop.
    batch = 1
    model = onnx.load(src)
    inp = model.graph.input[0]
    dims = inp.type.tensor_type.shape.dim
    for d, v in zip(dims, (batch, 3, 48, width)):
        d.Clear()
        d.dim_value = v
    for o in model.graph.output:  # let inference fill the output shape
        o.type.tensor_type.ClearField("shape")
    del model.graph.value_info[:]
    fold(model)
    n = materialise_broadcasts(model)
    del model.graph.value_info[:]
    shapes = static_shapes(model)
    for o in model.graph.output:
        o.type.tensor_type.shape.dim.extend(
            [onnx.TensorShapeProto.Dimension(dim_value=v) for v in shapes[o.name]])
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    shapes = static_shapes(model)
    out = model.graph.output[0].name
    print(f"{dst}: input {batch}x3x48x{width}, output {shapes.get(out)}, "
          f"{sum(1 for x in model.graph.node if x.op_type == 'Shape')} Shape nodes left, {n} constants materialised",
          file=sys.stderr)


if __name__ == "__main__":
    main()
