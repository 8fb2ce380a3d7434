"""`child` and `children`: elements by local name, whatever their namespace."""

from lxml import etree

from graphfraud.ingest.emcs.messages import child, children, text

DOC = b"""<a xmlns="urn:x" xmlns:q="urn:q">
  <!-- a comment first --><?pi here?>
  <q:b><c>in the first b</c></q:b>
  <b><c>in the second b</c><d>only here</d></b>
  <e>1</e><e xmlns="">2</e><q:e>3</q:e>
</a>"""


def test_first_child_of_each_name_in_turn() -> None:
    root = etree.fromstring(DOC)
    assert child(root, "b", "c").text == "in the first b"  # the first b, in another namespace
    assert child(root, "b", "d") is None  # only the first b is looked in, as before
    assert child(root, "zz") is None and child(None, "b") is None
    assert child(root) is root


def test_children_in_document_order_any_namespace() -> None:
    root = etree.fromstring(DOC)
    assert [e.text for e in children(root, "e")] == ["1", "2", "3"]
    assert [etree.QName(e).localname for e in children(root, "b")] == ["b", "b"]
    assert children(root, "comment") == [] and children(None, "e") == []
    assert text(root, "b", "c") == "in the first b"
