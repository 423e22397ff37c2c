package io.proxplane.terraform.plugin;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.proxplane.terraform.proto.goplugin.GRPCBrokerGrpc;
import io.proxplane.terraform.proto.goplugin.GRPCControllerGrpc;
import io.proxplane.terraform.proto.goplugin.GRPCStdioGrpc;
import io.proxplane.terraform.proto.goplugin.GrpcBrokerProto;
import io.proxplane.terraform.proto.goplugin.GrpcControllerProto;
import io.proxplane.terraform.proto.goplugin.GrpcStdioProto;

/** The go-plugin services next to the provider: controller, stdio and broker. */
final class GoPluginServices {

    private GoPluginServices() {
    }

    /**
     * Shutdown: answer, then exit promptly. go-plugin waits 2 s for the process after Shutdown and
     * then SIGKILLs it; with several launches per command a slow exit costs seconds.
     */
    static final class Controller extends GRPCControllerGrpc.GRPCControllerImplBase {
        private final Runnable onShutdown;

        Controller(Runnable onShutdown) {
            this.onShutdown = onShutdown;
        }

        @Override
        public void shutdown(GrpcControllerProto.Empty request, StreamObserver<GrpcControllerProto.Empty> out) {
            out.onNext(GrpcControllerProto.Empty.getDefaultInstance());
            out.onCompleted();
            onShutdown.run();
        }
    }

    /** We never write to stdout after the handshake, so there is nothing to forward. */
    static final class Stdio extends GRPCStdioGrpc.GRPCStdioImplBase {
        @Override
        public void streamStdio(Empty request, StreamObserver<GrpcStdioProto.StdioData> out) {
            out.onCompleted();
        }
    }

    /** Providers do not use the broker; keep the stream open idly until the client ends it. */
    static final class Broker extends GRPCBrokerGrpc.GRPCBrokerImplBase {
        @Override
        public StreamObserver<GrpcBrokerProto.ConnInfo> startStream(StreamObserver<GrpcBrokerProto.ConnInfo> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(GrpcBrokerProto.ConnInfo value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }
}
