package io.proxplane.terraform.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;

class MsgpackCodecTest {

    static final TfType.ObjectOf TYPE = TfType.objectOf(
            "name", TfType.STRING,
            "count", TfType.NUMBER,
            "on", TfType.BOOL,
            "tags", TfType.setOf(TfType.STRING),
            "labels", TfType.mapOf(TfType.STRING),
            "items", TfType.listOf(TfType.objectOf("id", TfType.NUMBER)),
            "any", TfType.DYNAMIC);

    @Test
    void roundTripsEveryKindOfValue() {
        TfValue v = TfValue.obj(Map.of(
                "name", TfValue.of("web"),
                "count", TfValue.of(3L),
                "on", TfValue.of(true),
                "tags", TfValue.seq(List.of(TfValue.of("a"), TfValue.of("b"))),
                "labels", TfValue.obj(Map.of("k", TfValue.of("v"))),
                "items", TfValue.seq(List.of(TfValue.obj(Map.of("id", TfValue.of(7L))))),
                "any", TfValue.of("dyn")));
        TfValue back = MsgpackCodec.decode(MsgpackCodec.encode(v, TYPE), TYPE);
        assertThat(back).isEqualTo(v);
    }

    @Test
    void unknownIsExtensionZeroAndNullIsNil() {
        assertThat(HexFormat.of().formatHex(MsgpackCodec.encode(TfValue.UNKNOWN, TfType.STRING))).isEqualTo("d40000");
        assertThat(HexFormat.of().formatHex(MsgpackCodec.encode(TfValue.NULL, TYPE))).isEqualTo("c0");
        assertThat(MsgpackCodec.decode(HexFormat.of().parseHex("d40000"), TfType.NUMBER)).isEqualTo(TfValue.UNKNOWN);
        // A refined unknown (ext 12 with a map payload) is still just unknown to us.
        assertThat(MsgpackCodec.decode(HexFormat.of().parseHex("c7030c8101c2"), TfType.STRING)).isEqualTo(TfValue.UNKNOWN);
    }

    @Test
    void missingObjectAttributesAreWrittenAsNull() {
        TfValue.Obj partial = TfValue.obj(Map.of("name", TfValue.of("x")));
        TfValue back = MsgpackCodec.decode(MsgpackCodec.encode(partial, TYPE), TYPE);
        assertThat(((TfValue.Obj) back).entries()).hasSize(7).containsEntry("count", TfValue.NULL);
    }

    @Test
    void numbersUseIntFloatOrDecimalString() throws Exception {
        assertThat(MessagePack.newDefaultUnpacker(MsgpackCodec.encode(TfValue.of(42L), TfType.NUMBER)).unpackLong()).isEqualTo(42);
        assertThat(MessagePack.newDefaultUnpacker(MsgpackCodec.encode(TfValue.of(0.5), TfType.NUMBER)).unpackDouble()).isEqualTo(0.5);
        BigDecimal huge = new BigDecimal("123456789012345678901234567890.1");
        byte[] bytes = MsgpackCodec.encode(new TfValue.Num(huge), TfType.NUMBER);
        assertThat(MessagePack.newDefaultUnpacker(bytes).unpackString()).isEqualTo(huge.toPlainString());
        assertThat(MsgpackCodec.decode(bytes, TfType.NUMBER)).isEqualTo(new TfValue.Num(huge));
    }

    @Test
    void wrongShapeNamesTheAttribute() {
        TfValue bad = TfValue.obj(Map.of("count", TfValue.of("three")));
        assertThatThrownBy(() -> MsgpackCodec.encode(bad, TYPE)).hasMessageContaining("count").hasMessageContaining("number");
        TfValue extra = TfValue.obj(Map.of("nope", TfValue.of("x")));
        assertThatThrownBy(() -> MsgpackCodec.encode(extra, TYPE)).hasMessageContaining("nope");
    }

    @Test
    void typeJsonRoundTrips() {
        assertThat(TypeJson.parse(TYPE.json())).isEqualTo(TYPE);
        assertThat(TfType.listOf(TfType.STRING).json()).isEqualTo("[\"list\",\"string\"]");
    }

    @Test
    void jsonStateDropsAttributesTheSchemaNoLongerHas() {
        TfValue v = JsonCodec.decode("{\"name\":\"a\",\"count\":2,\"removed\":true}".getBytes(), TYPE);
        assertThat(((TfValue.Obj) v).get("name")).isEqualTo(TfValue.of("a"));
        assertThat(((TfValue.Obj) v).get("count")).isEqualTo(TfValue.of(2L));
        assertThat(((TfValue.Obj) v).entries()).doesNotContainKey("removed").containsEntry("on", TfValue.NULL);
    }
}
