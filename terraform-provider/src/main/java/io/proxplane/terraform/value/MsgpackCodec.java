package io.proxplane.terraform.value;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The msgpack form of DynamicValue (object-wire-format: null = nil, unknown = any extension,
 * numbers as int, float or decimal string, dynamic = [type JSON, value]). We always answer in
 * msgpack: old cores ignore JSON DynamicValues in responses.
 */
public final class MsgpackCodec {

    /** Unknown as terraform-plugin-go writes it: fixext1, extension type 0, payload 0. */
    private static final byte UNKNOWN_EXT_TYPE = 0;

    private MsgpackCodec() {
    }

    public static byte[] encode(TfValue value, TfType type) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            write(p, value, type, "");
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TfValue decode(byte[] bytes, TfType type) {
        if (bytes == null || bytes.length == 0) {
            return TfValue.NULL;
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            return read(u, type, "");
        } catch (IOException e) {
            throw new IllegalArgumentException("msgpack: " + e.getMessage(), e);
        }
    }

    private static void write(MessageBufferPacker p, TfValue value, TfType type, String at) throws IOException {
        if (value.isNull()) {
            p.packNil();
            return;
        }
        if (value.isUnknown()) {
            p.packExtensionTypeHeader(UNKNOWN_EXT_TYPE, 1);
            p.writePayload(new byte[] {0});
            return;
        }
        switch (type) {
            case TfType.Primitive prim when "dynamic".equals(prim.name()) -> {
                TfType concrete = typeOf(value);
                p.packArrayHeader(2);
                byte[] json = concrete.json().getBytes(StandardCharsets.UTF_8);
                p.packBinaryHeader(json.length);
                p.writePayload(json);
                write(p, value, concrete, at);
            }
            case TfType.Primitive prim -> {
                switch (prim.name()) {
                    case "string" -> p.packString(expect(value, TfValue.Str.class, type, at).value());
                    case "bool" -> p.packBoolean(expect(value, TfValue.Bool.class, type, at).value());
                    case "number" -> writeNumber(p, expect(value, TfValue.Num.class, type, at).value());
                    default -> throw new IllegalStateException("unknown primitive " + prim.name());
                }
            }
            case TfType.ListOf l -> writeSeq(p, expect(value, TfValue.Seq.class, type, at).elements(), i -> l.element(), at);
            case TfType.SetOf s -> writeSeq(p, expect(value, TfValue.Seq.class, type, at).elements(), i -> s.element(), at);
            case TfType.TupleOf t -> {
                List<TfValue> elems = expect(value, TfValue.Seq.class, type, at).elements();
                if (elems.size() != t.elements().size()) {
                    throw new IllegalArgumentException(at + ": tuple of " + t.elements().size() + " elements, got " + elems.size());
                }
                writeSeq(p, elems, i -> t.elements().get(i), at);
            }
            case TfType.MapOf m -> {
                Map<String, TfValue> entries = expect(value, TfValue.Obj.class, type, at).entries();
                p.packMapHeader(entries.size());
                for (Map.Entry<String, TfValue> e : entries.entrySet()) {
                    p.packString(e.getKey());
                    write(p, e.getValue(), m.element(), at + "[\"" + e.getKey() + "\"]");
                }
            }
            case TfType.ObjectOf o -> {
                TfValue.Obj obj = expect(value, TfValue.Obj.class, type, at);
                for (String name : obj.entries().keySet()) {
                    if (!o.attributes().containsKey(name)) {
                        throw new IllegalArgumentException(at + ": object has no attribute '" + name + "'");
                    }
                }
                // Every attribute of the type is written; missing ones are null.
                p.packMapHeader(o.attributes().size());
                for (Map.Entry<String, TfType> e : o.attributes().entrySet()) {
                    p.packString(e.getKey());
                    write(p, obj.get(e.getKey()), e.getValue(), at.isEmpty() ? e.getKey() : at + "." + e.getKey());
                }
            }
        }
    }

    private interface ElementType {
        TfType at(int index);
    }

    private static void writeSeq(MessageBufferPacker p, List<TfValue> elems, ElementType type, String at) throws IOException {
        p.packArrayHeader(elems.size());
        for (int i = 0; i < elems.size(); i++) {
            write(p, elems.get(i), type.at(i), at + "[" + i + "]");
        }
    }

    private static void writeNumber(MessageBufferPacker p, BigDecimal n) throws IOException {
        BigDecimal stripped = n.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                && stripped.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
            p.packLong(stripped.longValueExact());
            return;
        }
        double d = n.doubleValue();
        if (!Double.isInfinite(d) && new BigDecimal(d).compareTo(n) == 0) {
            p.packDouble(d);
            return;
        }
        p.packString(n.toPlainString());
    }

    private static <T extends TfValue> T expect(TfValue value, Class<T> kind, TfType type, String at) {
        if (!kind.isInstance(value)) {
            throw new IllegalArgumentException((at.isEmpty() ? "value" : at) + ": expected " + type.json()
                    + ", got " + value.getClass().getSimpleName());
        }
        return kind.cast(value);
    }

    /** The type a dynamic value is sent with; we only ever produce primitives and collections of them. */
    static TfType typeOf(TfValue value) {
        return switch (value) {
            case TfValue.Str s -> TfType.STRING;
            case TfValue.Num n -> TfType.NUMBER;
            case TfValue.Bool b -> TfType.BOOL;
            case TfValue.Seq s -> new TfType.TupleOf(s.elements().stream().map(MsgpackCodec::typeOf).toList());
            case TfValue.Obj o -> {
                Map<String, TfType> attrs = new LinkedHashMap<>();
                o.entries().forEach((k, v) -> attrs.put(k, typeOf(v)));
                yield new TfType.ObjectOf(attrs);
            }
            default -> TfType.DYNAMIC;
        };
    }

    private static TfValue read(MessageUnpacker u, TfType type, String at) throws IOException {
        MessageFormat f = u.getNextFormat();
        if (f.getValueType() == ValueType.NIL) {
            u.unpackNil();
            return TfValue.NULL;
        }
        if (f.getValueType() == ValueType.EXTENSION) {
            // Every extension is an unknown; ext 12 carries refinements we do not need.
            var header = u.unpackExtensionTypeHeader();
            u.readPayload(header.getLength());
            return TfValue.UNKNOWN;
        }
        return switch (type) {
            case TfType.Primitive prim when "dynamic".equals(prim.name()) -> {
                int n = u.unpackArrayHeader();
                if (n != 2) {
                    throw new IllegalArgumentException(at + ": dynamic value must be [type, value]");
                }
                int len = u.unpackBinaryHeader();
                TfType concrete = TypeJson.parse(new String(u.readPayload(len), StandardCharsets.UTF_8));
                yield read(u, concrete, at);
            }
            case TfType.Primitive prim -> switch (prim.name()) {
                case "string" -> new TfValue.Str(u.unpackString());
                case "bool" -> new TfValue.Bool(u.unpackBoolean());
                case "number" -> new TfValue.Num(readNumber(u, f, at));
                default -> throw new IllegalStateException(prim.name());
            };
            case TfType.ListOf l -> readSeq(u, i -> l.element(), at);
            case TfType.SetOf s -> readSeq(u, i -> s.element(), at);
            case TfType.TupleOf t -> readSeq(u, i -> t.elements().get(i), at);
            case TfType.MapOf m -> {
                int n = u.unpackMapHeader();
                Map<String, TfValue> entries = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String key = u.unpackString();
                    entries.put(key, read(u, m.element(), at + "[\"" + key + "\"]"));
                }
                yield new TfValue.Obj(entries);
            }
            case TfType.ObjectOf o -> {
                int n = u.unpackMapHeader();
                Map<String, TfValue> entries = new LinkedHashMap<>();
                for (String name : o.attributes().keySet()) {
                    entries.put(name, TfValue.NULL);
                }
                for (int i = 0; i < n; i++) {
                    String key = u.unpackString();
                    TfType attrType = o.attributes().get(key);
                    if (attrType == null) {
                        throw new IllegalArgumentException(at + ": unexpected attribute '" + key + "'");
                    }
                    entries.put(key, read(u, attrType, at.isEmpty() ? key : at + "." + key));
                }
                yield new TfValue.Obj(entries);
            }
        };
    }

    private static TfValue readSeq(MessageUnpacker u, ElementType type, String at) throws IOException {
        int n = u.unpackArrayHeader();
        List<TfValue> elems = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            elems.add(read(u, type.at(i), at + "[" + i + "]"));
        }
        return new TfValue.Seq(elems);
    }

    private static BigDecimal readNumber(MessageUnpacker u, MessageFormat f, String at) throws IOException {
        return switch (f.getValueType()) {
            case INTEGER -> f == MessageFormat.UINT64 ? new BigDecimal(u.unpackBigInteger()) : BigDecimal.valueOf(u.unpackLong());
            case FLOAT -> BigDecimal.valueOf(u.unpackDouble());
            case STRING -> {
                String s = u.unpackString();
                try {
                    yield new BigDecimal(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(at + ": not a number: '" + s + "'");
                }
            }
            default -> throw new IllegalArgumentException(at + ": expected a number, got " + f.getValueType());
        };
    }
}
