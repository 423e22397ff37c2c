package io.proxplane.terraform.framework;

/** The wire DynamicValue of either protocol: msgpack or JSON bytes (one of them empty). */
public record DynamicValue(byte[] msgpack, byte[] json) {

    public DynamicValue {
        msgpack = msgpack == null ? new byte[0] : msgpack;
        json = json == null ? new byte[0] : json;
    }

    public static DynamicValue msgpack(byte[] bytes) {
        return new DynamicValue(bytes, null);
    }
}
