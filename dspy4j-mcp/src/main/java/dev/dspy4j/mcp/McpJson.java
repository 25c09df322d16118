package dev.dspy4j.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK's JSON mapper and schema validator on Jackson 3, made explicitly rather than found by
 * the SDK's service loader (which a named module or a shaded jar can miss).
 */
final class McpJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JSON);

    private McpJson() {}

    static JsonMapper json() {
        return JSON;
    }

    static McpJsonMapper mapper() {
        return MAPPER;
    }

    static JsonSchemaValidator schemaValidator() {
        return new DefaultJsonSchemaValidator(JSON);
    }
}
