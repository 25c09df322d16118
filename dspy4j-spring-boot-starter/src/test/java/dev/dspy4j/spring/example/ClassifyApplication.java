package dev.dspy4j.spring.example;

import dev.dspy4j.context.DspyContext;
import dev.dspy4j.module.Module;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The example service of docs/spring.md: {@code POST /classify} with {@code {"text": "..."}}
 * answers {@code {"label": "..."}} from the optimized program {@code classify}, configured in
 * {@code application.properties} and loaded from {@code classpath:optimized/classify.json}.
 */
@SpringBootApplication
public class ClassifyApplication {

    /** Starts the service. */
    public static void main(String[] args) {
        SpringApplication.run(ClassifyApplication.class, args);
    }

    /** The HTTP endpoint. */
    @RestController
    static class ClassifyController {

        private final Module classify;
        private final DspyContext dspy;

        ClassifyController(@Qualifier("classify") Module classify, DspyContext dspy) {
            this.classify = classify;
            this.dspy = dspy;
        }

        /** A classification request. */
        record ClassifyRequest(String text) {
        }

        /** Its answer. */
        record ClassifyResponse(String label) {
        }

        @PostMapping("/classify")
        ClassifyResponse classify(@RequestBody ClassifyRequest request) {
            Object label = classify.call(Map.of("text", request.text()), dspy).get("label");
            return new ClassifyResponse(String.valueOf(label));
        }
    }
}
