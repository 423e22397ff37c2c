package io.proxplane.terraform.plugin;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.proxplane.core.proxmox.Cancellation;

/**
 * Ties each provider RPC to a {@link Cancellation} token: bound to the thread while the handler
 * runs (ProviderCore joins it), and cancelled as soon as gRPC cancels the call's context — Terraform
 * cancelled or abandoned the request, or the connection went away. Without this, an RPC whose
 * caller is gone would keep waiting on Proxmox until the task timeout.
 */
final class CallCancellation implements ServerInterceptor {

    static final String REASON = "cancelled by Terraform (the request was abandoned)";

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Cancellation token = Cancellation.create();
        // gRPC attaches the call's own cancellable context while it runs interceptors and listeners;
        // it cancels that context from the transport thread the moment the client cancels.
        Context context = Context.current();
        Context.CancellationListener onCancel = c -> token.cancel(REASON);
        context.addListener(onCancel, Runnable::run);
        ServerCall.Listener<Q> delegate;
        try (Cancellation.Scope s = token.bind()) {
            delegate = next.startCall(call, headers);
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                try (Cancellation.Scope s = token.bind()) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                // Unary handlers run here.
                try (Cancellation.Scope s = token.bind()) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                context.removeListener(onCancel);
                super.onCancel();
            }

            @Override
            public void onComplete() {
                context.removeListener(onCancel);
                super.onComplete();
            }
        };
    }
}
