package dev.dspy4j.spring;

import dev.dspy4j.module.Module;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Defines one {@link Module} bean per entry under {@code dspy4j.programs}, named as the entry and
 * taken from {@link DspyPrograms}. A bean of that name that the application defines itself wins.
 */
final class DspyProgramRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        Map<String, DspyProperties.Program> programs = Binder.get(environment)
                .bind("dspy4j.programs", Bindable.mapOf(String.class, DspyProperties.Program.class))
                .orElse(Map.of());
        for (String name : programs.keySet()) {
            if (registry.containsBeanDefinition(name)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition(Module.class);
            definition.setInstanceSupplier(() -> ((BeanFactory) registry).getBean(DspyPrograms.class).get(name));
            registry.registerBeanDefinition(name, definition);
        }
    }
}
