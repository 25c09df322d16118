package dev.dspy4j.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dspy4j.lm.LmException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plain-http clients carry no TLS, and clients are shut down by their last user or at exit. */
class HttpClientLifecycleTest {

    private static Endpoint endpoint(String base, Duration connectTimeout) {
        return new Endpoint(Provider.OPENAI, "openai/m", "m", URI.create(base), "sk-test", null,
                new Endpoint.Limits(Duration.ofSeconds(5), connectTimeout, Duration.ofSeconds(5), 1024), Map.of());
    }

    @Test
    void aPlainHttpClientGetsTheUninitialisedTlsContextAndAnHttpsClientTheDefault() {
        SharedHttpClients registry = new SharedHttpClients(false);
        HttpCaller plain = new HttpCaller(endpoint("http://127.0.0.1:1/v1", Duration.ofSeconds(1)), registry);
        HttpCaller tls = new HttpCaller(endpoint("https://127.0.0.1:1/v1", Duration.ofSeconds(1)), registry);
        try {
            assertThat(client(plain).sslContext()).isSameAs(HttpCaller.NoTls.CONTEXT);
            assertThat(client(tls).sslContext()).isNotSameAs(HttpCaller.NoTls.CONTEXT);
            assertThat(client(plain)).isNotSameAs(client(tls));
        } finally {
            plain.close();
            tls.close();
        }
    }

    @Test
    void theUninitialisedTlsContextRefusesEveryUseWithAClearMessage() {
        assertThatThrownBy(() -> HttpCaller.NoTls.CONTEXT.createSSLEngine())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain-http base URL")
                .hasMessageContaining("https");
        assertThatThrownBy(() -> HttpCaller.NoTls.CONTEXT.getSocketFactory()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLastUserOfASharedClientShutsItDownAndTheNextUserGetsANewOne() throws Exception {
        SharedHttpClients registry = new SharedHttpClients(false);
        Endpoint endpoint = endpoint("http://127.0.0.1:1/v1", Duration.ofSeconds(1));
        HttpCaller first = new HttpCaller(endpoint, registry);
        HttpCaller second = new HttpCaller(endpoint, registry);
        HttpClient shared = client(first);
        assertThat(client(second)).isSameAs(shared);

        first.close();
        first.close(); // idempotent: must not count twice
        assertThat(shared.isTerminated()).isFalse();
        second.close();
        assertThat(shared.awaitTermination(Duration.ofSeconds(5))).isTrue();

        HttpCaller third = new HttpCaller(endpoint, registry);
        try {
            assertThat(client(third)).isNotSameAs(shared);
            assertThat(client(third).isTerminated()).isFalse();
        } finally {
            third.close();
        }
    }

    @Test
    void aClosedCallerFailsClearlyAndSendsNothing() {
        HttpCaller caller = new HttpCaller(endpoint("http://127.0.0.1:1/v1", Duration.ofSeconds(1)),
                new SharedHttpClients(false));
        caller.close();
        assertThatThrownBy(() -> caller.post(URI.create("http://127.0.0.1:1/v1/chat/completions"), new byte[0], 1))
                .isInstanceOf(LmException.Configuration.class)
                .hasMessageContaining("was closed")
                .hasMessageNotContaining("sk-test");
        assertThatThrownBy(() -> caller.open(URI.create("http://127.0.0.1:1/v1/chat/completions"), new byte[0], 1))
                .isInstanceOf(LmException.Configuration.class);
    }

    @Test
    void theExitHookShutsDownEveryOpenClientSoThatItsSelectorThreadEnds() throws Exception {
        SharedHttpClients registry = new SharedHttpClients(false);
        HttpCaller caller = new HttpCaller(endpoint("http://127.0.0.1:1/v1", Duration.ofSeconds(1)), registry);
        HttpClient client = client(caller);
        HttpClient stream = registry.track(HttpClient.newHttpClient());

        registry.shutDownAll();

        assertThat(client.isTerminated()).isTrue();
        assertThat(stream.isTerminated()).isTrue();
        caller.close(); // after the hook: harmless
        HttpCaller later = new HttpCaller(endpoint("http://127.0.0.1:1/v1", Duration.ofSeconds(1)), registry);
        assertThat(client(later)).isNotSameAs(client); // a call made during shutdown gets a live client
        later.close();
    }

    private static HttpClient client(HttpCaller caller) {
        return caller.client();
    }
}
