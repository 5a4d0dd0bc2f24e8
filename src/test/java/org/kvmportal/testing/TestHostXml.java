package org.kvmportal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Host descriptions for libvirt's test driver ({@code test:///path/to/host.xml}): any number of domains in
 * any state, no daemon needed. Used by tests and by the scale benchmark.
 */
public final class TestHostXml {

    private static final String TEST_NS = "http://libvirt.org/schemas/domain/test/1.0";

    /** libvirt's numeric domain states, as the test driver's {@code <test:runstate>} wants them. */
    public enum RunState {
        RUNNING(1),
        PAUSED(3),
        SHUT_OFF(5);

        final int code;

        RunState(int code) {
            this.code = code;
        }
    }

    public record Vm(String name, RunState state, int vcpus, long memoryKiB, String description) {

        public Vm(String name, RunState state, int vcpus, long memoryKiB) {
            this(name, state, vcpus, memoryKiB, "");
        }
    }

    private TestHostXml() {}

    /** Writes the host file and returns the URI to connect to it. */
    public static String write(Path file, List<Vm> vms) {
        try {
            var document = DocumentBuilderFactory.newDefaultNSInstance()
                    .newDocumentBuilder()
                    .newDocument();
            var node = document.createElement("node");
            document.appendChild(node);
            for (Vm vm : vms) {
                node.appendChild(domain(document, vm));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            TransformerFactory.newInstance()
                    .newTransformer()
                    .transform(new DOMSource(document), new StreamResult(file.toFile()));
            return "test://" + file.toAbsolutePath();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} domains named {@code prefix-0001…}; every third shut off, every tenth paused. */
    public static List<Vm> many(String prefix, int count) {
        return java.util.stream.IntStream.rangeClosed(1, count)
                .mapToObj(i -> new Vm(
                        String.format("%s-%04d", prefix, i),
                        i % 10 == 0 ? RunState.PAUSED : i % 3 == 0 ? RunState.SHUT_OFF : RunState.RUNNING,
                        1 + i % 4,
                        262_144L * (1 + i % 8)))
                .toList();
    }

    private static Element domain(Document document, Vm vm) {
        var domain = document.createElement("domain");
        domain.setAttribute("type", "test");
        domain.setAttribute("xmlns:test", TEST_NS);
        append(document, domain, "name", vm.name());
        append(
                document,
                domain,
                "uuid",
                UUID.nameUUIDFromBytes(vm.name().getBytes()).toString());
        if (!vm.description().isEmpty()) {
            append(document, domain, "description", vm.description());
        }
        append(document, domain, "memory", Long.toString(vm.memoryKiB()));
        append(document, domain, "currentMemory", Long.toString(vm.memoryKiB()));
        append(document, domain, "vcpu", Integer.toString(vm.vcpus()));
        var os = document.createElement("os");
        append(document, os, "type", "hvm");
        domain.appendChild(os);
        var runstate = document.createElementNS(TEST_NS, "test:runstate");
        runstate.setTextContent(Integer.toString(vm.state().code));
        domain.appendChild(runstate);
        return domain;
    }

    private static void append(Document document, Element parent, String name, String text) {
        var element = document.createElement(name);
        element.setTextContent(text);
        parent.appendChild(element);
    }
}
