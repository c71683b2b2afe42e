// Loads XMI files with Apache UIMA's Java SDK (the reference implementation of the CAS, which
// INCEpTION and DKPro Core build on) and prints what it finds, for tests/interchange/test_xmi_uima.py.
//
//     java -cp uimaj-core.jar XmiCheck.java TypeSystem.xml a.xmi [b.xmi ...]
//
// Strict: the XMI must only use types and features the type system declares (lenient = false).
// Prints one JSON object per line: {"file", "sofa"} for each document, then for each annotation
// {"type", "begin", "end", "text", "features": {name: value}}; a feature that references another
// annotation prints as [begin, end] of that annotation. Offsets and "text" are Java's: UTF-16
// code units and String.substring over the sofa, exactly what INCEpTION would show.

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.uima.UIMAFramework;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.FSIterator;
import org.apache.uima.cas.Feature;
import org.apache.uima.cas.FeatureStructure;
import org.apache.uima.cas.impl.XmiCasDeserializer;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.resource.metadata.TypeSystemDescription;
import org.apache.uima.util.CasCreationUtils;
import org.apache.uima.util.XMLInputSource;

public class XmiCheck {
    public static void main(String[] args) throws Exception {
        TypeSystemDescription types = UIMAFramework.getXMLParser()
                .parseTypeSystemDescription(new XMLInputSource(args[0]));
        for (int i = 1; i < args.length; i++) {
            CAS cas = CasCreationUtils.createCas(types, null, null);
            try (InputStream in = new FileInputStream(args[i])) {
                XmiCasDeserializer.deserialize(in, cas, false);
            }
            String sofa = cas.getDocumentText();
            System.out.println("{\"file\": " + quote(args[i]) + ", \"sofa\": " + quote(sofa) + "}");
            FSIterator<AnnotationFS> it = cas.getAnnotationIndex().iterator();
            while (it.hasNext()) {
                AnnotationFS a = it.next();
                if (a.getType().getName().equals("uima.tcas.DocumentAnnotation")) {
                    continue;
                }
                List<String> features = new ArrayList<>();
                for (Feature f : a.getType().getFeatures()) {
                    String name = f.getShortName();
                    if (name.equals("begin") || name.equals("end") || name.equals("sofa")) {
                        continue;
                    }
                    String value;
                    if (f.getRange().isPrimitive()) {
                        String s = a.getFeatureValueAsString(f);
                        value = s == null ? "null" : quote(s);
                    } else {
                        FeatureStructure fs = a.getFeatureValue(f);
                        if (fs instanceof AnnotationFS) {
                            AnnotationFS t = (AnnotationFS) fs;
                            value = "[" + t.getBegin() + ", " + t.getEnd() + "]";
                        } else {
                            value = fs == null ? "null" : quote(fs.getType().getName());
                        }
                    }
                    features.add(quote(name) + ": " + value);
                }
                System.out.println("{\"type\": " + quote(a.getType().getName())
                        + ", \"begin\": " + a.getBegin() + ", \"end\": " + a.getEnd()
                        + ", \"text\": " + quote(a.getCoveredText())
                        + ", \"features\": {" + String.join(", ", features) + "}}");
            }
        }
    }

    // JSON string with every non-ASCII UTF-16 unit escaped, so that the output is plain ASCII.
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
